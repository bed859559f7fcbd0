#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionhome.settings.base")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    # Read the settings now: Django would hide their error behind "Models aren't loaded
    # yet" (a missing SECRET_KEY outside DEBUG, for one). `make run` writes a .env.
    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018
    except ImproperlyConfigured as error:
        sys.exit(f"unionhome: {error}")

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
