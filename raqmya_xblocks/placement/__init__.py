"""The placement test XBlock: an adaptive test of the DigComp areas that recommends a track and courses."""
