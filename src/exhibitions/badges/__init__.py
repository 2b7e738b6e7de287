"""Badges for every participant: holders, exhibitors' staff quotas, print batches as jobs.
The documents themselves (views.py, rendering.py, templates/badges/*.html) are rendered by
WeasyPrint; this package decides who gets which badge and when it is printed."""
