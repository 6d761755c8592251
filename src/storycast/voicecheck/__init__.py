"""voicecheck: how intelligible and how distinct voice profiles are, measured
(`storycast voices check`)."""
