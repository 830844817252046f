"""Cohorts: score a whole sheet of businesses at once (``cbectool template``, ``batch``, ``batch-merge``).

One job per module: ``columns`` (the sheet layout), ``template`` (blank sheets),
``reading`` (streamed rows of a sheet or a folder of response files), ``batch``
(the one pass: each row scored once by ``scoring.rows``), ``outputs`` (tables),
``reports`` (PDFs in worker processes, ``workers.in_pool``), ``stats`` and
``summary`` (the trainer's view), ``merge`` (shards). Nothing here imports openpyxl,
WeasyPrint or pypdf at module level.
"""
