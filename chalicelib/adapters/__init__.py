"""The only code that talks to AWS services other than DynamoDB (and to the payment operator)."""
