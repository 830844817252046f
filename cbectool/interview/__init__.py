"""The guided interview of ``cbectool assess``: pure flow logic, drafts on disk, a terminal front end."""
