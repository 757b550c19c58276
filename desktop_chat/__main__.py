"""Entry for ``python -m desktop_chat``."""

import sys

from desktop_chat.cli import main

sys.exit(main())
