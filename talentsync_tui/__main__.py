from talentsync_tui.cli import main

main()
