"""Cohorts: score a whole sheet of businesses at once (``cbectool template``, ``batch``, ``batch-merge``).

One job per module: ``columns`` (the sheet layout), ``template`` (blank sheets),
``reading`` (streamed rows), ``batch`` (scoring), ``outputs`` (tables),
``reports`` (parallel PDFs), ``stats`` and ``summary`` (the trainer's view),
``merge`` (shards). Nothing here imports openpyxl, WeasyPrint or pypdf at module level.
"""
