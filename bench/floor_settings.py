"""Settings of bench/pages.py's floor server: Newsroom's own, with one URL more (bench/floor_urls.py).

    DJANGO_SETTINGS_MODULE=floor_settings PYTHONPATH=bench gunicorn newsroom.wsgi:application
"""

from newsroom.settings import *  # noqa: F403 - every setting as production has it

ROOT_URLCONF = "floor_urls"
