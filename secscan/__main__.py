from secscan.cli import main

main()
