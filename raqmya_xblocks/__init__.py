"""XBlocks of the Raqmya programme: the track assessment."""
