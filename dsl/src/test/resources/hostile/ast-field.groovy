// expect: annotation @Field is not allowed
@groovy.transform.Field def x = 1
