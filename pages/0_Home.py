"""Home: the chosen dataset at a glance (ui/home.py): both maps, results against goals, the accounts."""
from ui import home, layout, state

entry, dataset, start = layout.open_page("Home")
home.page(entry, dataset)
state.publish(start, entry.key)
