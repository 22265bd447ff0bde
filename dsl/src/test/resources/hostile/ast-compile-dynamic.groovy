// expect: annotation @CompileDynamic is not allowed
@groovy.transform.CompileDynamic
def run = { 'touch CANARY'.execute() }
