import rule from './down-fails.js';
import { ruleTests } from './testing.js';

const chatFlow = ['CREATE TABLE chat_flow (id varchar(36) PRIMARY KEY, chatbotConfig varchar(255) NULL);'];

ruleTests(rule, {
  valid: [
    {
      name: 'a down MySQL accepts',
      dialect: 'mysql',
      history: chatFlow,
      up: 'ALTER TABLE `chat_flow` MODIFY `chatbotConfig` TEXT;',
      down: 'ALTER TABLE `chat_flow` MODIFY `chatbotConfig` VARCHAR(255);',
    },
  ],
  invalid: [
    {
      name: 'MySQL refuses VARCHAR without a length: the down fails (Flowise ModifyChatFlow)',
      dialect: 'mysql',
      history: chatFlow,
      up: 'ALTER TABLE `chat_flow` MODIFY `chatbotConfig` TEXT;',
      down: 'ALTER TABLE `chat_flow` MODIFY `chatbotConfig` VARCHAR;',
      refused: true,
      message: 'VARCHAR needs a length in MySQL',
      effect: { dbRollback: 'lossy' },
    },
    {
      name: 'MySQL reads "x" as a string: a down quoting names for PostgreSQL fails (Flowise AddErrorToEvaluationRun)',
      dialect: 'mysql',
      history: ['CREATE TABLE evaluation_run (id varchar(36) PRIMARY KEY);'],
      up: 'ALTER TABLE `evaluation_run` ADD COLUMN `errors` LONGTEXT NULL;',
      down: 'ALTER TABLE "evaluation_run" DROP COLUMN "errors";',
      refused: true,
      message: 'MySQL reads "evaluation_run" as a string, not a name',
      effect: { dbRollback: 'lossy' },
    },
  ],
});
