// expect: annotation @BaseScript is not allowed
@groovy.transform.BaseScript groovy.lang.Script base
evaluate('"touch CANARY".execute()')
