"""What finance takes away: CSV tables, the Excel workbook with live formulas, the deck."""
