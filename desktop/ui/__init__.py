"""The Qt workbench: the only layer that imports Qt; it reads and writes through desktop.services."""
