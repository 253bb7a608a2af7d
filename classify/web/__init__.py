"""A local web app over the Python API: the article view and JSON API (:mod:`.app`), and
an annotation loop with the model in the loop (:mod:`.archive`, :mod:`.store`,
:mod:`.session`). Flask is an optional dependency (``pip install ".[web]"``)."""
