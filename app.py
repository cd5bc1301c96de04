"""eBOK API: the Chalice app registers the areas' blueprints and nothing else."""

from chalice import Chalice

from chalicelib.api import account, authorizer, system
from chalicelib.api.middleware import observe

app = Chalice(app_name="ebok")
app.api.binary_types.append("application/pdf")
app.register_middleware(observe, "all")

app.register_blueprint(authorizer.blueprint)
app.register_blueprint(system.blueprint)
app.register_blueprint(account.blueprint)
