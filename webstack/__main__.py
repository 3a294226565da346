import sys

from webstack.commands.cli import main

sys.exit(main())
