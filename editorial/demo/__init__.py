"""The demo's synthetic history (`synthetic`), written through the real
services by `manage.py load_demo`. May import every capability.
"""
