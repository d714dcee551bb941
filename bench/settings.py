"""Settings for the benchmarks: the project's own, plus the development-only
`bench` app (its commands: generate_report_data, report_benchmark,
bench_sweeps) and one bare view for the reader-page comparison.

Production never installs `bench`: run these with
`DJANGO_SETTINGS_MODULE=bench.settings` (the Makefile's bench targets do).
"""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
