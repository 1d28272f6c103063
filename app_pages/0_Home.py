"""Home: the chosen dataset at a glance (ui/home.py): both maps, results against goals, the accounts."""
from ui import home, layout

entry, dataset = layout.open_dataset("Home")
home.page(entry, dataset)
