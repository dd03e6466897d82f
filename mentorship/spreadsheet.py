"""Text a spreadsheet would read as a formula (=, +, -, @, tab, carriage return first): one rule
for every export, the reports' and the audit trail's."""

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A text cell that a spreadsheet would read as a formula, made plain text."""
    if value and value[0] in DANGEROUS_FIRST:
        return "'" + value
    return value
