"""eBOK API: the Chalice app registers the areas' blueprints and nothing else."""

from chalice import Chalice

from chalicelib.api import account, alerts, authorizer, faults, outages, system
from chalicelib.api import admin as admin_api
from chalicelib.api import applications as applications_api
from chalicelib.api import auth as auth_api
from chalicelib.api import consents as consents_api
from chalicelib.api import consumption as consumption_api
from chalicelib.api import contracts as contracts_api
from chalicelib.api import documents as documents_api
from chalicelib.api import invoices as invoices_api
from chalicelib.api import ksef as ksef_api
from chalicelib.api import payments as payments_api
from chalicelib.api import preferences as preferences_api
from chalicelib.api import privacy as privacy_api
from chalicelib.api import readings as readings_api
from chalicelib.api import registration as registration_api
from chalicelib.api import statements as statements_api
from chalicelib.api import tariffs as tariffs_api
from chalicelib.api import threads as threads_api
from chalicelib.api import workspace as workspace_api
from chalicelib.api.middleware import observe
from chalicelib.config import settings
from chalicelib.jobs import bounces as bounces_jobs
from chalicelib.jobs import contracts as contract_jobs
from chalicelib.jobs import invoicing as invoicing_jobs
from chalicelib.jobs import ksef as ksef_jobs
from chalicelib.jobs import notices as notices_job
from chalicelib.jobs import outages as outage_jobs
from chalicelib.jobs import privacy as privacy_jobs
from chalicelib.jobs import reports as reports_jobs
from chalicelib.jobs import statements as statements_job
from chalicelib.jobs import sweeper as sweeper_jobs
from chalicelib.jobs import weather as weather_jobs

settings()  # fail closed: a missing or unknown STAGE stops the cold start here
app = Chalice(app_name="ebok")
app.api.binary_types.append("application/pdf")
app.register_middleware(observe, "all")

app.register_blueprint(authorizer.blueprint)
app.register_blueprint(system.blueprint)
app.register_blueprint(account.blueprint)
app.register_blueprint(outages.blueprint)
app.register_blueprint(alerts.blueprint)
app.register_blueprint(faults.blueprint)
app.register_blueprint(outage_jobs.blueprint)
app.register_blueprint(payments_api.blueprint)
app.register_blueprint(statements_api.blueprint)
app.register_blueprint(notices_job.blueprint)
app.register_blueprint(statements_job.blueprint)
app.register_blueprint(auth_api.blueprint)
app.register_blueprint(registration_api.blueprint)
app.register_blueprint(admin_api.blueprint)
app.register_blueprint(invoices_api.blueprint)
app.register_blueprint(readings_api.blueprint)
app.register_blueprint(tariffs_api.blueprint)
app.register_blueprint(invoicing_jobs.blueprint)
app.register_blueprint(consumption_api.blueprint)
app.register_blueprint(reports_jobs.blueprint)
app.register_blueprint(weather_jobs.blueprint)
app.register_blueprint(contracts_api.blueprint)
app.register_blueprint(documents_api.blueprint)
app.register_blueprint(applications_api.blueprint)
app.register_blueprint(threads_api.blueprint)
app.register_blueprint(workspace_api.blueprint)
app.register_blueprint(contract_jobs.blueprint)
app.register_blueprint(ksef_jobs.blueprint)
app.register_blueprint(sweeper_jobs.blueprint)
app.register_blueprint(ksef_api.blueprint)
app.register_blueprint(preferences_api.blueprint)
app.register_blueprint(consents_api.blueprint)
app.register_blueprint(bounces_jobs.blueprint)
app.register_blueprint(privacy_api.blueprint)
app.register_blueprint(privacy_jobs.blueprint)
