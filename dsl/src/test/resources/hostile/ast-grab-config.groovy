// expect: annotation @GrabConfig is not allowed
@GrabConfig(systemClassLoader = true)
@Grab('org.example:evil:1.0')
def x = 1
