"""Entry point for ``python -m budgetmap``."""
import sys

from budgetmap.cli import main

sys.exit(main())
