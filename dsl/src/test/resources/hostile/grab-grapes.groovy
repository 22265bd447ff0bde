// expect: annotation @Grapes is not allowed
@Grapes(@Grab('org.example:evil:1.0'))
def x = 1
