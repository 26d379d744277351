"""Documents in and out: the uppdragshandling importer, private document storage,
and the assignment's PDF, Word and spreadsheet exports."""
