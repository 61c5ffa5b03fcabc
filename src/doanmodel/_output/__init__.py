"""
The one output path: every result type turned into table, JSON, CSV, HTML, DataFrame, Excel or a
plot lives here, never on the result classes themselves (they keep one-line delegations).

Modules: ``safe`` (atomic, symlink-refusing writes; spreadsheet-formula neutralising),
``excel`` (workbooks of results), ``xlsxdata`` (a dataset as a workbook, the template),
``notebook`` (HTML and plots), ``text`` (tables, JSON, CSV).
"""
