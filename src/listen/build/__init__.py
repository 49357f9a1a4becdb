"""Building: the one builder of every track (`builder`) and folders of articles (`library`)."""
