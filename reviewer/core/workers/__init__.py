"""The one door to the worker processes: where PyMuPDF, Tesseract and pixel work run.

A hostile file may crash, hang or exhaust the process that reads it; nothing else may go down with
it. So every such job runs in a worker process that the parent watches, bounded by the same limits
(:class:`~reviewer.core.workers.pool.Limits`): seconds without progress, seconds in all, bytes of
memory. Jobs are named (:mod:`~reviewer.core.workers.registry`: a job name and the ``module:function``
that does it, imported in the worker only), so the process that submits a job never imports PyMuPDF;
tasks and results are plain frozen dataclasses. Each worker configures PyMuPDF once, when it starts
(:mod:`~reviewer.core.workers.mupdf`).

- :mod:`~reviewer.core.workers.pool`: :class:`WorkerPool` runs a queue of tasks of one job;
- :mod:`~reviewer.core.workers.jobs`: :class:`Jobs` runs tasks of any job as futures (the export);
- :mod:`~reviewer.core.workers.child`: the worker's side of the pipe.
"""
