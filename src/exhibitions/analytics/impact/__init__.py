"""The impact report for the ministry and partners: its figures (figures.py), charts
(charts.py), the PDF (document.py) and the XLSX of its tables (spreadsheet.py)."""
