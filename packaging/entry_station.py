"""Bundle entry point of the township station (gridbook-station, a console program)."""
import sys

from sync.station.cli import main

sys.exit(main())
