"""Blueprints: parameterised environments in YAML, and the requests that fill them in.

``<name>.yaml`` files beside this module are the shipped blueprints (``load_blueprint``); ``blueprint.py``
parses and validates them, ``request.py`` reads requests.
"""
