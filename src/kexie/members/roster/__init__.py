"""The 会员汇总表 (member roster) of an association, in and out.

- ``importer``: the columns and the judging of a file (the preview), for an association's roster and
  for the founding members of a 科协 being founded (``PAPER_COLUMNS``);
- ``writing``: the commit in one transaction, written while judging (COPY from a writer thread);
  the services ``import_roster`` and ``import_founding``;
- ``export``: the paper layout (xlsx, docx; phones masked) and the full roster (xlsx), as
  ``core.exporters`` exporters;
- ``jobs`` and ``tasks``: imports and exports run as ``core.Job`` rows, inline or by the worker;
- ``views`` and ``urls``: the pages (upload → preview → commit, export, progress, downloads).
"""
