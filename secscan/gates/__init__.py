"""Gates: the verdict of a scan, baselines, waivers and the member paths that fingerprints use."""
