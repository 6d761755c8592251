from storycast.cli import main

main()
