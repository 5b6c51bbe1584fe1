import { generatedDays } from './generated-days';

generatedDays(2);
