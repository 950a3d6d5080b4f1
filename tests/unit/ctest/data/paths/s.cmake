message("hi")
