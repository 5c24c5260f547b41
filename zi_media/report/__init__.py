"""Reports: text, JSON and HTML renderers (which only format), the pictures they show
(prepared before rendering), and the sentences in Indonesian and English (i18n)."""

FORMATS = ("text", "json", "html")  # what report.render writes
