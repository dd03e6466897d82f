"""Demo data, built through the project's own models and services: the demo site that
`manage.py seed_demo` creates (site.py) and the city-scale program (`seed_demo --scale city`,
scale.py). It lives in the top app because it fills every app; the tests build their worlds from
the same blocks (people.py), and production code never imports tests/.
"""
