"""Analyses on the model and the zone graph that several checks share."""
