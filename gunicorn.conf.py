# Read by gunicorn from the directory it starts in (the image's /app, `make run` does not use
# it): the access log without the calendar feed's secret (config/logredact.py).
logger_class = "config.logredact.AccessLogger"
