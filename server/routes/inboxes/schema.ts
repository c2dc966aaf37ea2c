import { z } from 'zod';
import { inboxNames, type InboxName } from '../../cases/inboxes.js';

export const inboxParams = z.object({
  name: z.enum(inboxNames as [InboxName, ...InboxName[]], { message: '没有这个待办列表' }),
});
