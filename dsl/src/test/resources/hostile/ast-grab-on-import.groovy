// expect: import is not allowed || annotation @Grab is not allowed
@Grab('org.example:evil:1.0')
import static java.lang.Runtime.getRuntime
