"""Workshop mode (``cbectool serve``): owners answer on their phones, the trainer's laptop does the rest.

``app`` holds the pages, ``participants`` the answers on disk, ``reports`` the PDF workers,
``trainer`` the cohort outputs, ``security`` what keeps a shared network out, and
``server`` the start-up. Importing this package imports nothing heavy; the web stack
(Starlette, uvicorn) loads only inside ``cbectool serve``.
"""
