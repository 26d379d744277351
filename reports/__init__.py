"""Reports: a group's or commissioner's återrapportering, built from the record,
and its PDF and Excel versions."""
