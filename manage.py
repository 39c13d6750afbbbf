#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    # A development entry point: with no DATABASE_URL, an embedded PostgreSQL (newsroom.dev).
    from newsroom.dev import use_embedded_postgres_if_unset

    use_embedded_postgres_if_unset()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
