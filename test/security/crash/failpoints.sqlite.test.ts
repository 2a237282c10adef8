import { failpointsSuite } from "./failpointsSuite";

failpointsSuite("sqlite");
