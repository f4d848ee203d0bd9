import sys

from servicekit.scaffold import main

sys.exit(main())
