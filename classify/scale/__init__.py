"""Prediction at scale: streaming a large input through worker processes, or an archive through Dask."""
