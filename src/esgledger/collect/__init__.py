"""Getting data in: the interchange format (CSV/XLSX facts), entity files, and later
campaigns, templates and review. Uses store, calc and the library; never report or web."""
