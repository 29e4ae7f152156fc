from ontspan.interfaces.cli import main

main()
